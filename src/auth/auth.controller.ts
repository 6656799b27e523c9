import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Permission, Public } from './access.decorators';
import { AuthService } from './auth.service';
import { ChangePasswordDto, LoginDto, LoginResponseDto, MeDto } from './dto/auth.dto';
import { UserPrincipal } from './principal';
import { UsersService } from './users.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Post('login')
  @Public()
  @UseGuards(ThrottlerGuard)
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with e-mail and password; returns a bearer token' })
  login(@Body() dto: LoginDto): Promise<LoginResponseDto> {
    return this.auth.login(dto.email, dto.password);
  }

  @Post('logout')
  @ApiBearerAuth()
  @Permission('auth.self')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke the token of this session' })
  logout(@CurrentUser() user: UserPrincipal): Promise<void> {
    return this.auth.logout(user);
  }

  @Post('password')
  @ApiBearerAuth()
  @Permission('auth.self')
  @HttpCode(204)
  @ApiOperation({ summary: 'Change your password (required at first sign-in); other sessions are revoked' })
  changePassword(@CurrentUser() user: UserPrincipal, @Body() dto: ChangePasswordDto): Promise<void> {
    return this.auth.changePassword(user, dto.currentPassword, dto.newPassword);
  }

  @Get('me')
  @ApiBearerAuth()
  @Permission('auth.self')
  @ApiOperation({ summary: 'Who you are and the Comuni you belong to' })
  me(@CurrentUser() user: UserPrincipal): Promise<MeDto> {
    return this.users.me(user);
  }
}
